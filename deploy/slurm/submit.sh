#!/bin/bash
# Queues the solve array and the merge step that runs after it, and prints their job ids
# (the array's, then the merge's), one a line.
# usage: INPUT=/shared/province.json OUT_DIR=/shared/out PLAN=/shared/plan.json SHARDS=4 \
#        [MAX_GAP=0.01] [STARPLAN=/path/to/starplan] deploy/slurm/submit.sh
# A second submission over the same OUT_DIR reuses every region already solved for the
# same input, so it is also how a failed or cancelled batch is finished.
set -euo pipefail
: "${INPUT:?}" "${OUT_DIR:?}" "${PLAN:?}" "${SHARDS:?}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$OUT_DIR"
array=$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" "$here/solve.sbatch")
echo "$array"
# afterany: the merge runs whatever the shards' exit codes, and says itself what is
# missing, stale, interrupted or above --max-gap (its exit code fails the pipeline).
sbatch --parsable --export=ALL --dependency="afterany:${array}" "$here/merge.sbatch"
