export default signedRoute('replay');
