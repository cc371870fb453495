/**
 * The provider's own pages: the login form, the sign-out confirmation and its error page. Persian
 * and right-to-left by default, English by `?lang=en`; no inline script or style (the stylesheet
 * is a route of its own, `STYLESHEET_PATH`), so a strict CSP holds.
 */

export type Lang = 'fa' | 'en';
export const STYLESHEET_PATH = '/idp-assets/login.css';

const TEXT = {
  fa: {
    title: 'ورود به پیشخوان پروانه', username: 'نام کاربری', password: 'گذرواژه', submit: 'ورود',
    wrong: 'نام کاربری یا گذرواژه درست نیست.', throttled: 'ورودهای نادرست بسیار بود؛ یک دقیقه دیگر دوباره بکوشید.', other: 'English', otherLang: 'en',
    logoutTitle: 'خروج از پیشخوان پروانه', logoutQuestion: 'می‌خواهید از حساب خود خارج شوید؟', logoutYes: 'بله، خارج شوم', logoutNo: 'نه، بمانم',
    signedOut: 'از حساب خود خارج شدید.', error: 'خطا در ورود',
  },
  en: {
    title: 'Sign in to the Parvaneh console', username: 'Username', password: 'Password', submit: 'Sign in',
    wrong: 'The username or password is not correct.', throttled: 'Too many failed sign-ins; try again in a minute.', other: 'فارسی', otherLang: 'fa',
    logoutTitle: 'Sign out of the Parvaneh console', logoutQuestion: 'Do you want to sign out?', logoutYes: 'Yes, sign me out', logoutNo: 'No, stay signed in',
    signedOut: 'You have signed out.', error: 'Sign-in error',
  },
} as const;

/** `en` when asked for, else Persian. */
export const langOf = (value: string | null | undefined): Lang => (value === 'en' ? 'en' : 'fa');

/** Text safe inside HTML elements and double-quoted attributes. */
export function htmlSafe(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}" dir="${lang === 'fa' ? 'rtl' : 'ltr'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlSafe(title)}</title><link rel="stylesheet" href="${STYLESHEET_PATH}"></head>
<body><main>${body}</main></body>
</html>`;
}

/** The login form; it posts back to the page's own path. `error` shows the wrong-password message. */
export function loginPage(opts: { lang: Lang; action: string; username?: string; error?: boolean | 'throttled' }): string {
  const t = TEXT[opts.lang];
  return page(opts.lang, t.title, `
<h1>${t.title}</h1>
<p class="switch"><a href="${htmlSafe(opts.action)}?lang=${t.otherLang}" lang="${t.otherLang}" hreflang="${t.otherLang}">${t.other}</a></p>
${opts.error ? `<p class="error" role="alert" id="login-error">${opts.error === 'throttled' ? t.throttled : t.wrong}</p>` : ''}
<form method="post" action="${htmlSafe(opts.action)}" autocomplete="on">
<input type="hidden" name="lang" value="${opts.lang}">
<p><label for="username">${t.username}</label>
<input id="username" name="username" type="text" dir="ltr" autocomplete="username" required autofocus value="${htmlSafe(opts.username ?? '')}"${opts.error ? ' aria-describedby="login-error" aria-invalid="true"' : ''}></p>
<p><label for="password">${t.password}</label>
<input id="password" name="password" type="password" dir="ltr" autocomplete="current-password" required${opts.error ? ' aria-describedby="login-error" aria-invalid="true"' : ''}></p>
<p><button type="submit">${t.submit}</button></p>
</form>`);
}

/** The sign-out confirmation around oidc-provider's own form (`form`: its hidden xsrf field, id `op.logoutForm`). */
export function logoutPage(opts: { lang: Lang; form: string }): string {
  const t = TEXT[opts.lang];
  return page(opts.lang, t.logoutTitle, `
<h1>${t.logoutTitle}</h1>
<p>${t.logoutQuestion}</p>
${opts.form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>${t.logoutYes}</button>
<button type="submit" form="op.logoutForm" class="secondary">${t.logoutNo}</button></p>`);
}

/** After a sign-out without a redirect back to the client. */
export function signedOutPage(lang: Lang): string {
  return page(lang, TEXT[lang].signedOut, `<h1>${TEXT[lang].signedOut}</h1>`);
}

/** An error of the provider, in our words and its code only (never a stack or a library message beyond the OAuth error). */
export function errorPage(lang: Lang, out: { error?: string; error_description?: string }): string {
  return page(lang, TEXT[lang].error, `<h1>${TEXT[lang].error}</h1>
<p dir="ltr" lang="en"><code>${htmlSafe(out.error ?? 'server_error')}</code>${out.error_description ? `: ${htmlSafe(out.error_description)}` : ''}</p>`);
}

/** The pages' stylesheet (Vazirmatn when installed on the machine; a system font otherwise). */
export const STYLESHEET = `
body { font-family: Vazirmatn, Tahoma, system-ui, sans-serif; background: #f4f5f7; color: #1d2330; margin: 0; line-height: 1.7; }
main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: .5rem; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
h1 { font-size: 1.3rem; margin-top: 0; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #6b7280; border-radius: .25rem; }
input:focus, button:focus, a:focus { outline: 3px solid #2563eb; outline-offset: 2px; }
button { font: inherit; padding: .5rem 1.25rem; border: 0; border-radius: .25rem; background: #1d4ed8; color: #fff; cursor: pointer; }
button.secondary { background: #e5e7eb; color: #1d2330; }
.error { color: #991b1b; background: #fee2e2; padding: .5rem .75rem; border-radius: .25rem; }
.switch { text-align: end; margin: 0; }
a { color: #1d4ed8; }
`;
