/** @module The one stylesheet, served from our own origin so the CSP can stay 'self'. */
export const siteCss = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f5f6f8; }
header { background: #0b3d91; color: #fff; padding: 0.75rem 1.5rem; }
.brand { margin: 0; font-weight: 600; }
main { max-width: 48rem; margin: 2rem auto; background: #fff; padding: 2rem; border-radius: 8px; }
label { display: block; margin-top: 1rem; font-weight: 600; }
input[type=text], input[type=password], input[type=email] { width: 100%; padding: 0.5rem; font-size: 1rem; box-sizing: border-box; }
button { margin-top: 1.25rem; padding: 0.6rem 1.2rem; font-size: 1rem; background: #0b3d91; color: #fff; border: 0; border-radius: 4px; }
[role=alert] { border-left: 4px solid #b00020; background: #fdecee; padding: 0.5rem 1rem; }
.codes, .admin-hint { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd; }
`
