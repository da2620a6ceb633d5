export default signedRoute('proxy');
