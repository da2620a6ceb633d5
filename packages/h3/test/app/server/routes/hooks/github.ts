export default signedRoute('github');
