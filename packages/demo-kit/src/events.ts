// The contract between the order demos: what orders publishes to the `orders` URL group and
// every member (inventory in orders, the mailer) receives.
export interface OrderPlaced {
  type: 'order.placed';
  order: {
    id: number;
    email: string;
    quantity: number;
    product: { id: number; name: string; priceCents: number };
  };
}
