export default signedRoute('stripeSchema');
