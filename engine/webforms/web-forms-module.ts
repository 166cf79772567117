// Plugs public web forms into the server: GET /api/public/forms/{name} (the form as a visitor sees
// it) and POST /api/public/forms/{name}/submissions (creates a record). No sign-in, no session: a
// visitor's cookie, if any, is ignored, so a signed-in user's CSRF rules do not apply either. Each
// form has its own rate limit per address (express-rate-limit, from its `publish.rateLimit`).

import { Router, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { checkQueryParameters } from '../http/http-helpers.ts';
import { CrmError } from '../kernel/errors.ts';
import { localeFromAcceptLanguage } from '../kernel/i18n.ts';
import { systemContext } from '../records/request-context.ts';
import type { EngineModule } from '../capability/engine-module.ts';
import { webFormsApi } from './web-forms-openapi.ts';
import { publicDescription, publishedForm, submittedValues, underValues } from './web-forms.ts';

export const webFormsModule: EngineModule = {
  name: 'webForms',
  start(services) {
    const model = async () => {
      const refreshing = services.runtime.refreshIfStale();
      if (refreshing) await refreshing;
      return services.runtime.model;
    };
    // One limiter per form and setting, so a changed limit takes effect with the metadata.
    const limiters = new Map<string, RequestHandler>();
    const limiterFor = (form: string, max: number, windowMinutes: number): RequestHandler => {
      const key = `${form}:${max}:${windowMinutes}`;
      let limiter = limiters.get(key);
      if (!limiter) {
        limiter = rateLimit({
          windowMs: windowMinutes * 60_000,
          limit: max,
          standardHeaders: 'draft-7',
          legacyHeaders: false,
          handler: (_req, _res, next) => next(new CrmError('RATE_LIMITED', { en: 'Too many submissions from your address; try again later', zh: '您的地址提交过于频繁，请稍后再试' })),
        });
        limiters.set(key, limiter);
      }
      return limiter;
    };

    const router = Router();
    router.get('/forms/:name', async (req, res) => {
      checkQueryParameters(req, []);
      res.json(publicDescription(publishedForm(await model(), req.params.name)));
    });
    router.post('/forms/:name/submissions', async (req, res, next) => {
      checkQueryParameters(req, []);
      const current = await model();
      const published = publishedForm(current, req.params.name);
      const limit = published.form.publish?.rateLimit;
      limiterFor(published.form.name, limit?.max ?? 20, limit?.windowMinutes ?? 60)(req, res, async (limited?: unknown) => {
        if (limited) return next(limited);
        try {
          const values = submittedValues(req.body, published);
          const ctx = systemContext({ reason: `webForm:${published.form.name}`, clock: services.clock, model: current, locale: localeFromAcceptLanguage(req.headers['accept-language']) });
          await services.records.create(ctx, published.entity.name, values, { form: published.form.name }).catch((e: unknown) => {
            throw underValues(e);
          });
          res.status(201).json({ status: 'accepted' });
        } catch (error) {
          next(error);
        }
      });
    });
    return { routes: [{ path: '/api/public', router }], openapi: webFormsApi };
  },
};
