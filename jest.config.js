/**
 * Unit tests of the front end's pure logic (labextension/test/*.spec.ts), in Node:
 * formatting, the findings model and the energy model. The browser tests in ui-tests/
 * run the whole extension against a real server and kernel.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/labextension/test'],
  testRegex: '\\.spec\\.ts$',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] }
};
