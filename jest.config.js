/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // dt-sql-parser ships ESM only; swc turns it (and its antlr deps) into CommonJS for jest.
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(dt-sql-parser|antlr4ng|antlr4-c3)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  testTimeout: 60000,
  // Each test file loads aws-cdk-lib afresh and a worker's heap only grows: recycling workers that
  // have grown past this keeps two workers under 1.5 GB in all (about 7 s slower than never recycling).
  workerIdleMemoryLimit: '200MB',
};
