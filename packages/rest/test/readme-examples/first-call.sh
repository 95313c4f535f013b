export NODE_EXTRA_CA_CERTS=~/.b24kit/ca/ca.pem   # the ready line's caFile: Node trusts the emulator's CA
export B24_WEBHOOK_URL='<adminWebhookUrl>'       # the ready line's adminWebhookUrl
node first-call.mjs
