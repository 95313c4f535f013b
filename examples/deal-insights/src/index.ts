export const APP_NAME = "deal-insights";
