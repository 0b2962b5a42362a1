#!/usr/bin/env bash
# Make (or reuse) a virtual environment with Carnet installed in it, resolved fresh from
# the registries, so tests and `make run` never see the machine's site-packages.
#   scripts/venv.sh DIR EXTRAS [CONSTRAINTS]
# EXTRAS is "" or a comma-separated list (e.g. "test"); CONSTRAINTS is a pip constraints
# file (the oldest-versions lane). The environment is made anew when pyproject.toml or the
# constraints change; extras asked for later are added on top.
set -euo pipefail
dir=$1 extras=${2:-} constraints=${3:-}
python=${PYTHON:-python3}
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

fingerprint=$(cat pyproject.toml ${constraints:+"$constraints"} | sha256sum | cut -c1-16)
stamp=$dir/.carnet-env
have_print= have_extras=
if [ -f "$stamp" ]; then
    read -r have_print have_extras < "$stamp" || true
fi
if [ "$have_print" != "$fingerprint" ] || [ ! -x "$dir/bin/python" ]; then
    echo "venv: creating $dir${constraints:+ (constraints: $constraints)}" >&2
    rm -rf "$dir"
    "$python" -m venv "$dir"
    "$dir/bin/python" -m pip install -q --upgrade pip
    have_extras=
fi
missing=
for extra in ${extras//,/ }; do
    case ",$have_extras," in *",$extra,"*) ;; *) missing=1 ;; esac
done
if [ ! -f "$stamp" ] || [ -n "$missing" ] || [ "$have_print" != "$fingerprint" ]; then
    spec=.
    [ -n "$extras" ] && spec=".[$extras]"
    echo "venv: installing $spec into $dir" >&2
    "$dir/bin/python" -m pip install -q ${constraints:+-c "$constraints"} -e "$spec"
    all=$(printf '%s\n' ${have_extras//,/ } ${extras//,/ } | sort -u | paste -sd, -)
    echo "$fingerprint $all" > "$stamp"
fi
