export default signedRoute('standardSchema');
