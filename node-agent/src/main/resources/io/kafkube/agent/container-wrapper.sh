# The parent of every container process of the process runtime (run as: sh -c <this> wrapper EXIT_FILE CMD ARGS...).
# It forwards SIGTERM/SIGINT to the container and records its exit code in EXIT_FILE, so that an agent that
# restarted (and is no longer the parent) still learns how the container ended.
exit_file="$1"
shift
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM
trap 'kill -INT "$child" 2>/dev/null' INT
while :; do
  wait "$child"
  rc=$?
  if ! kill -0 "$child" 2>/dev/null; then
    break
  fi
done
echo "$rc" > "$exit_file.tmp" && mv "$exit_file.tmp" "$exit_file"
exit "$rc"
