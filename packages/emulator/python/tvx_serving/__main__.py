"""`python -m tvx_serving`: serve one model the way a Vertex AI prediction container does.

Environment (Vertex's custom-container contract):
  AIP_HTTP_PORT        port on 127.0.0.1 (default 8080; 0 picks a free one, shown in the ready line)
  AIP_PREDICT_ROUTE    default /predict;   AIP_HEALTH_ROUTE  default /health
  AIP_STORAGE_URI      folder of the model artifacts: gs://bucket/path (read as $TVX_GCS_MOUNT/bucket/path,
                       /gcs/bucket/path when TVX_GCS_MOUNT is unset) or a local folder
  TVX_SERVING_FRAMEWORK  sklearn | xgboost | pytorch | tensorflow; unset: detected from the files
  AIP_DEPLOYED_MODEL_ID, AIP_MODEL_NAME  informational (shown in the ready line)

The model is loaded before the port is bound. Ready line on stdout:
  tvx_serving: ready on http://127.0.0.1:<port> (<framework> <artifact>; predict POST <route>, health GET <route>)

Exit statuses: 0 after SIGTERM/SIGINT (or a successful --check); 2 an invalid environment variable or flag;
3 the artifacts cannot be found or loaded; 4 the port cannot be bound. Failures print one line on stderr:
  tvx_serving: <what is wrong, where it looked, the loader's error>
"""

import argparse
import os
import signal
import sys
import time

from . import config
from .artifacts import load_model, resolve_storage
from .errors import ConfigError, LoadError, one_line
from .server import make_server

EXIT_CONFIG, EXIT_LOAD, EXIT_LISTEN = 2, 3, 4


def fail(message, status):
    sys.stdout.flush()
    print("tvx_serving: %s" % message, file=sys.stderr, flush=True)
    return status


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m tvx_serving", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--check", metavar="URI",
                        help="load the model in URI (gs://bucket/path or a folder) and exit: 0 when it loads, "
                             "3 when it does not; nothing is served")
    return parser


def _stop(signum, frame):
    raise SystemExit(0)


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        if args.check is not None:
            settings = None
            framework = config.framework_from_env(os.environ)
        else:
            settings = config.from_env(os.environ)
            framework = settings.framework
    except ConfigError as error:
        return fail(one_line(error), EXIT_CONFIG)

    started = time.monotonic()
    try:
        location = resolve_storage(args.check if settings is None else settings.storage_uri)
        model = load_model(location, framework)
    except LoadError as error:
        return fail(one_line(error), EXIT_LOAD)
    loaded = "loaded %s model %s from %s in %.1fs" % (
        model.framework, model.description, location, time.monotonic() - started)
    if settings is None:
        print("tvx_serving: ok: " + loaded, flush=True)
        model.close()
        return 0

    try:
        server = make_server(model, settings)
    except OSError as error:
        model.close()
        return fail("cannot listen on %s:%d: %s" % (config.HOST, settings.port, one_line(error)), EXIT_LISTEN)
    signal.signal(signal.SIGTERM, _stop)
    names = ", ".join("%s=%s" % (key, value) for key, value in (
        ("AIP_MODEL_NAME", settings.model_name), ("AIP_DEPLOYED_MODEL_ID", settings.deployed_model_id)) if value)
    print("tvx_serving: %s%s" % (loaded, " (%s)" % names if names else ""), flush=True)
    print("tvx_serving: ready on http://%s:%d (%s %s; predict POST %s, health GET %s)" % (
        config.HOST, server.server_address[1], model.framework, model.description.split(" ")[0],
        settings.predict_route, settings.health_route), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        model.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
