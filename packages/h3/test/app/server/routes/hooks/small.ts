export default signedRoute('small');
