// The sample project's only module. ATO's example task adds a farewell next to the greeting.
exports.greet = name => `Hello, ${name}!`;
