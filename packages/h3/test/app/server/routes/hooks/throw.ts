export default signedRoute('throws');
