export default signedRoute('standard');
