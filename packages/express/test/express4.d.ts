// Express 4 installed under an alias for the tests; its API is the same factory as Express 5's
// for everything the tests use.
declare module 'express4' {
  import express from 'express';
  export default express;
}
