import type { MethodPage } from "../page-fixture.js";

export const crmPages: MethodPage[] = [];
