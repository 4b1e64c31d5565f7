#!/usr/bin/env bash
# Before/after comparison of two s4scope-bench binaries in one interleaved run: round after round,
# each method is timed by the old binary, then by the new one (`--profile METHOD REPS`: the median
# over REPS explanations of yes.wav), so a burst of load on a shared host lands on both. Prints the
# median over rounds of each binary's medians and their ratio.
#   bench/compare_builds.sh OLD_BENCH NEW_BENCH [ROUNDS] [REPS] [METHOD ...]
set -euo pipefail
old=$1 new=$2 rounds=${3:-5} reps=${4:-200}
shift $(( $# < 4 ? $# : 4 ))
methods=("$@")
if [ ${#methods[@]} -eq 0 ]; then
  methods=(lrp_z lrp_epsilon lrp_gamma lrp_alpha1_beta0 lrp_alpha2_beta1 lrp_zplus lrp_flat lrp_w_square
           lrp_epsilon_sign lrp_z_sign lrp_composite)
fi
out=$(mktemp)
for ((r = 0; r < rounds; ++r)); do
  for m in "${methods[@]}"; do
    for which in old new; do
      bin=$old; [ "$which" = new ] && bin=$new
      ms=$("$bin" --profile "$m" "$reps" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
      echo "$m $which $ms" >> "$out"
    done
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-20s %12s %12s %8s\n' method "old (ms)" "new (ms)" new/old
for m in "${methods[@]}"; do
  med() { awk -v m="$m" -v w="$1" '$1 == m && $2 == w {print $3}' "$out" | sort -g |
          awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
  o=$(med old) n=$(med new)
  printf '%-20s %12.3f %12.3f %8.3f\n' "$m" "$o" "$n" "$(echo "$n / $o" | bc -l)"
done
rm -f "$out"
