// The SDK's notice that releases after early January 2027 need Node 22 is known (the SDK is
// pinned, see .github/dependabot.yml); in tests it would only repeat itself once per file.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
