export default signedRoute('echo');
