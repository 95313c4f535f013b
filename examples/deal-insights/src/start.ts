// Placeholder until the reference app exists: prints the ready line shape.
console.log(
  JSON.stringify({
    ready: true,
    portalUrl: null,
    appUrl: null,
    emulatorUrl: null,
    caFile: null,
    memberId: null,
    clientId: null,
  }),
);
