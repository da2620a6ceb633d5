export default signedRoute('pinned');
