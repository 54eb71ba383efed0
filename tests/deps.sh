#!/bin/sh
# Installs the Debian packages named as arguments that are not installed yet
# (when run as root), or prints the apt command that would.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq $missing >/dev/null || exit 1
else
	echo "missing Debian packages; run as root or:" >&2
	echo "  sudo apt-get install$missing" >&2
	exit 1
fi
