# Sourced by test-image.sh and demo-check.sh: podman_conf DIR writes DIR/containers.conf and exports
# CONTAINERS_CONF, so podman runs with runc when it is installed (crun 1.8 refuses a hybrid cgroup layout) and
# open-file limits within this shell's (rootful podman's defaults need CAP_SYS_RESOURCE). /etc is not touched.
podman_conf() {
  local nofile
  nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=65536
  {
    echo '[containers]'
    echo "default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=4096:4096\"]"
    echo '[engine]'
    if command -v runc >/dev/null; then echo 'runtime = "runc"'; fi
    echo 'events_logger = "file"'
  } > "$1/containers.conf"
  export CONTAINERS_CONF=$1/containers.conf
}
