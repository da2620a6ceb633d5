// What this shop publishes to the `orders` URL group; every member (inventory here, the mailer)
// receives it. The mailer keeps its own copy of this type: the message body is the contract.
export interface OrderPlaced {
  type: 'order.placed';
  order: {
    id: number;
    email: string;
    quantity: number;
    product: { id: number; name: string; priceCents: number };
  };
}
