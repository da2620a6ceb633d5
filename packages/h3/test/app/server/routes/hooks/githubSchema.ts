export default signedRoute('githubSchema');
