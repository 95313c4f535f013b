export { appPage } from "./app-page.js";
