npx b24kit emulator
