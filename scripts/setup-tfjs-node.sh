#!/usr/bin/env bash
# npm run setup:tfjs-node
#
# Makes @tensorflow/tfjs-node work without its install script, which downloads libtensorflow from
# outside the package registries (blocked here). Everything comes from the registries instead:
#   1. the tensorflow-cpu wheel from PyPI (its libtensorflow_cc.so.2 exports TensorFlow's C and
#      eager C API; its include/ has the headers) into .venv;
#   2. @tensorflow/tfjs-node from npm with --ignore-scripts, --no-save (never in package.json);
#   3. tfjs-node's deps/include and deps/lib pointed at the wheel;
#   4. its N-API binding built with the node-gyp npm ships, against this Node's own headers;
#   5. a check that the 'tensorflow' backend loads and computes in this project's tfjs-core.
# Idempotent: finished steps are skipped. A built binding is kept in .cache/tfjs-node, so that
# after an `npm install` (which removes the --no-save package) setup only reinstalls and copies.
# Needs: python3 with venv/pip, npm, a C++ compiler and make.
set -euo pipefail

TFJS_NODE_VERSION=4.22.0
TF_WHEEL_VERSION=2.21.0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
pkg="$root/node_modules/@tensorflow/tfjs-node"
cache="$root/.cache/tfjs-node"

say() { printf 'setup:tfjs-node: %s\n' "$*"; }
die() { printf 'setup:tfjs-node: error: %s\n' "$*" >&2; exit 1; }

command -v npm >/dev/null || die "npm not found"
command -v "${CXX:-g++}" >/dev/null || die "no C++ compiler (${CXX:-g++}); install build-essential"
command -v make >/dev/null || die "make not found; install build-essential"

# 1. The wheel.
if [[ ! -x .venv/bin/python ]]; then
  say "creating .venv"
  python3 -m venv .venv || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
fi
site="$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
tf_dir="$site/tensorflow"
if [[ -d "$site/tensorflow_cpu-$TF_WHEEL_VERSION.dist-info" && -f "$tf_dir/libtensorflow_cc.so.2" ]]; then
  say "tensorflow-cpu $TF_WHEEL_VERSION already in .venv"
else
  say "installing tensorflow-cpu $TF_WHEEL_VERSION into .venv (libraries and headers only, ~270 MB)"
  .venv/bin/pip install --quiet --disable-pip-version-check --no-deps -r scripts/requirements-tensorflow.txt
fi
for f in libtensorflow_cc.so.2 libtensorflow_framework.so.2 include/tensorflow/c/c_api.h include/tensorflow/c/eager/c_api.h; do
  [[ -e "$tf_dir/$f" ]] || die "the tensorflow-cpu wheel has no $f (expected in $tf_dir)"
done

# 2. tfjs-node, without its install script.
installed="$(node -p "try { require('$pkg/package.json').version } catch { '' }")"
if [[ "$installed" == "$TFJS_NODE_VERSION" ]]; then
  say "@tensorflow/tfjs-node $TFJS_NODE_VERSION already installed"
else
  say "installing @tensorflow/tfjs-node@$TFJS_NODE_VERSION (--no-save --ignore-scripts)"
  npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error "@tensorflow/tfjs-node@$TFJS_NODE_VERSION"
fi

# 3. deps/ -> the wheel. The binding links -ltensorflow -ltensorflow_framework (the unversioned
# names) and at run time loads the sonames libtensorflow_cc.so.2 / libtensorflow_framework.so.2
# from deps/lib (its rpath); libtensorflow.so.2 is the name tfjs-node's own layout uses.
link() { # link <target> <name>: relative symlink, replaced only when it points elsewhere
  local rel; rel="$(realpath --relative-to="$(dirname "$2")" "$1")"
  [[ -L "$2" && "$(readlink "$2")" == "$rel" ]] || ln -sfn "$rel" "$2"
}
mkdir -p "$pkg/deps/lib"
[[ -L "$pkg/deps/include" || ! -e "$pkg/deps/include" ]] || rm -rf "$pkg/deps/include"
link "$tf_dir/include" "$pkg/deps/include"
for name in libtensorflow.so libtensorflow.so.2 libtensorflow_cc.so.2; do
  link "$tf_dir/libtensorflow_cc.so.2" "$pkg/deps/lib/$name"
done
for name in libtensorflow_framework.so libtensorflow_framework.so.2; do
  link "$tf_dir/libtensorflow_framework.so.2" "$pkg/deps/lib/$name"
done
say "deps/include and deps/lib point at $tf_dir"

# 4. The binding, where tfjs-node looks for it (node-pre-gyp's module path for this Node).
binding="$(cd "$pkg" && node -p "require('@mapbox/node-pre-gyp').find(require.resolve('./package.json'))")"
napi="$(basename "$(dirname "$binding")")"               # e.g. napi-v8
key="tfjs-node-$TFJS_NODE_VERSION-tf-$TF_WHEEL_VERSION-node-$(node -p process.versions.modules)-$napi"
if [[ -f "$binding" ]]; then
  say "binding already built: ${binding#"$root"/}"
elif [[ -f "$cache/$key.node" ]]; then
  mkdir -p "$(dirname "$binding")"
  cp "$cache/$key.node" "$binding"
  say "binding restored from .cache/tfjs-node/$key.node"
else
  node_gyp="${npm_config_node_gyp:-}"
  if [[ -z "$node_gyp" || ! -f "$node_gyp" ]]; then
    npm_root="$(dirname "$(dirname "$(realpath "$(command -v npm)")")")"
    node_gyp="$npm_root/node_modules/node-gyp/bin/node-gyp.js"
  fi
  [[ -f "$node_gyp" ]] || die "cannot find the node-gyp that npm ships (looked for $node_gyp)"
  # This Node's own headers (no download): <prefix>/include/node of the running node.
  nodedir="$(dirname "$(dirname "$(realpath "$(command -v node)")")")"
  [[ -f "$nodedir/include/node/node_api.h" ]] ||
    die "no Node headers at $nodedir/include/node (install your distribution's nodejs dev headers)"
  mkdir -p "$cache"
  say "building the N-API binding ($napi) with $(node "$node_gyp" --version) against $nodedir/include/node"
  (cd "$pkg" && node "$node_gyp" rebuild --loglevel=warn --jobs=2 --nodedir="$nodedir" \
      --module_name=tfjs_binding --module_path="$(dirname "$binding")" --napi_build_version="${napi#napi-v}") \
    > "$cache/build.log" 2>&1 ||
    { tail -n 30 "$cache/build.log" >&2; die "node-gyp failed (log: .cache/tfjs-node/build.log)"; }
  [[ -f "$binding" ]] || die "node-gyp finished but $binding is missing"
  cp "$binding" "$cache/$key.node"
  say "built ${binding#"$root"/} (kept a copy in .cache/tfjs-node)"
fi

# 5. Check: the backend registers in this project's tfjs-core and computes.
TF_CPP_MIN_LOG_LEVEL=2 node --input-type=module -e "
  import * as tf from '@tensorflow/tfjs-core';
  await import('@tensorflow/tfjs-node');
  if (!tf.findBackendFactory('tensorflow')) throw new Error('tfjs-node registered no tensorflow backend in our tfjs-core');
  await tf.setBackend('tensorflow');
  const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).dataSync();
  if (tf.getBackend() !== 'tensorflow' || y[0] !== 17 || y[1] !== 39) throw new Error('tensorflow backend check failed');
  console.log('setup:tfjs-node: ok: backend ' + tf.getBackend() + ', tfjs-core ' + tf.version_core + ', TensorFlow $TF_WHEEL_VERSION (tensorflow-cpu wheel)');
"
