#!/usr/bin/env -S node --import tsx
// Runs `ctmsr train` from source (no build needed): node --import tsx scripts/train.ts --config ... --data ... --out ...
import { runTrainCommand } from '../packages/ctmsr/src/train/index.js';

process.exitCode = await runTrainCommand(process.argv.slice(2));
