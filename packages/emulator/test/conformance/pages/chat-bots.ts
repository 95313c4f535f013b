import type { MethodPage } from "../page-fixture.js";

export const chatBotPages: MethodPage[] = [];
