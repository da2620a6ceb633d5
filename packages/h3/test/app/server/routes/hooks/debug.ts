export default signedRoute('debug');
