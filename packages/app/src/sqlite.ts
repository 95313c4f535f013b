// The @b24kit/app/sqlite entry point.
export {};
