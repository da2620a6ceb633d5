export default signedRoute('final');
