// The @b24kit/app/node entry point.
export {};
