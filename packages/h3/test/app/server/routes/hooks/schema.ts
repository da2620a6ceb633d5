export default signedRoute('schema');
