// Entry: protocol SB1 in the browser as one bundled module (static/dist/sb1.js), for pages that
// import it (`import { sealBid } from "/static/dist/sb1.js"`) and for the browser tests.
export * from "./sb1/index.mjs";
