// The @b24kit/app/testing entry point.
export {};
