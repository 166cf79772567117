// http/middleware-sequence: middleware every request with a body passes through, run as one handler. Each
// layer of an express router costs a path match, a params object and a continuation per request;
// the edge's body steps (media type, parsing, depth, scope re-entry) match every path anyway.

import type { RequestHandler } from 'express';

/** Runs `handlers` in order as one handler: an error (thrown, or passed to next) skips the rest, as in a router. */
export function inSequence(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error) {
        next(error);
        return;
      }
      const handler = handlers[index++];
      if (handler === undefined) {
        next();
        return;
      }
      try {
        // Steps call back synchronously or from a stream callback (the body parser): a throw in
        // either case goes to the error handler, as the router's own layers do.
        void handler(req, res, step);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
