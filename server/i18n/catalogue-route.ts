/**
 * `GET <prefix>/assets/locales/<tag>.json`: the catalogue the widget loads for a locale that is
 * not English. The kit negotiates the tag (`pt-PT` is answered with `pt-BR`, an unknown one with
 * the default) and says which in the body's `locale` and in Content-Language. Public, like the
 * widget script beside it: same-origin for the consent page (CSP `connect-src 'self'`), readable
 * cross-origin for a partner page embedding the widget; cacheable, revalidated by ETag.
 */
import type { Context } from 'koa';
import { LOCALE_TAG } from '../../widget/i18n/negotiate.js';
import type { Localization } from './localization.js';

export function catalogueRoute(localization: Localization) {
  return function serveCatalogue(ctx: Context): void {
    const file = ctx.params.file ?? '';
    const tag = file.endsWith('.json') ? file.slice(0, -'.json'.length) : '';
    if (!LOCALE_TAG.test(tag)) return; // 404 in the kit's error shape (answerUnrouted)
    const served = localization.served(tag);
    ctx.set({
      'cache-control': 'public, max-age=3600',
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
      'content-language': served.locale,
      etag: served.etag,
    });
    ctx.type = 'application/json; charset=utf-8';
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = served.body;
  };
}
