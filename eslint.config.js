// Type-aware lint (typescript-eslint's recommended type-checked rules) over
// every TypeScript file the compiler sees; formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['build/', 'dist/', 'node_modules/', 'eslint.config.js'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            // Interface implementations (transports, fakes) are async by contract, with or without an await.
            '@typescript-eslint/require-await': 'off',
            // node:test's test() and describe() return promises the runner awaits itself.
            '@typescript-eslint/no-floating-promises': [
                'error',
                {
                    allowForKnownSafeCalls: [
                        { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
                    ],
                },
            ],
        },
    },
    {
        // Colour tests match ANSI escape sequences, which start with a control character.
        files: ['test/**'],
        rules: { 'no-control-regex': 'off' },
    },
);
