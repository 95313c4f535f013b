export { TokenCipher } from "./security/token-cipher.js";
