import { trustEmulatorCa } from "@b24kit/emulator/testing";
export default () => void trustEmulatorCa();
