import { statSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError } from "commander";

/** What is at `path`: a file, a folder, something else, or nothing. */
function kindOf(path: string): "file" | "folder" | "other" | "none" {
  try {
    const stat = statSync(path);
    return stat.isFile() ? "file" : stat.isDirectory() ? "folder" : "other";
  } catch {
    return "none";
  }
}

/** A file that exists (a module to load, a payload to send); kept as given, relative to the working folder. */
export function existingFile(name: string): (value: string) => string {
  return (value) => {
    const kind = kindOf(resolve(value));
    if (kind === "none") throw new InvalidArgumentError(`${name}: no such file: ${value}`);
    if (kind !== "file") throw new InvalidArgumentError(`${name}: ${value} is not a file`);
    return value;
  };
}

/** A folder that exists (an app to test). */
export function existingFolder(name: string): (value: string) => string {
  return (value) => {
    const kind = kindOf(resolve(value));
    if (kind === "none") throw new InvalidArgumentError(`${name}: no such folder: ${value}`);
    if (kind !== "folder") throw new InvalidArgumentError(`${name}: ${value} is not a folder`);
    return value;
  };
}

/** A folder to write into: one that exists, or none yet (it is created); never a file in the way. */
export function folderToWrite(name: string): (value: string) => string {
  return (value) => {
    const kind = kindOf(resolve(value));
    if (kind === "file" || kind === "other")
      throw new InvalidArgumentError(`${name}: ${value} exists and is not a folder`);
    return value;
  };
}

/** A file to write (a report, a state file): absent or a file, never a folder in the way. */
export function fileToWrite(name: string): (value: string) => string {
  return (value) => {
    const kind = kindOf(resolve(value));
    if (kind === "folder" || kind === "other")
      throw new InvalidArgumentError(`${name}: ${value} exists and is not a file`);
    return value;
  };
}
