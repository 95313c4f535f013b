// The @b24kit/app/postgres entry point.
export {};
