export default signedRoute('stripe');
