import type { Catalog } from './en.ts';

/** The Indonesian catalog; typed as `Catalog`, so a key missing here is a type error. */

/** Indonesian has no plural inflection: "1 detik", "30 detik". */
const wait = (seconds: number) => (seconds < 60 ? `${seconds} detik` : `${Math.ceil(seconds / 60)} menit`);

export const id: Catalog = {
  language: 'Bahasa',
  pageTitle: (title, product) => `${title} – ${product}`,

  loginTitle: 'Masuk',
  loginIntro: (client) => (client ? `Masuk untuk melanjutkan ke ${client}.` : 'Masuk untuk melanjutkan.'),
  username: 'Nama pengguna',
  password: 'Kata sandi',
  rememberMe: 'Ingat saya',
  signIn: 'Masuk',
  invalidCredentials: 'Nama pengguna atau kata sandi salah.',
  throttled: (seconds) =>
    seconds === undefined
      ? 'Terlalu banyak percobaan. Silakan coba lagi nanti.'
      : `Terlalu banyak percobaan. Silakan coba lagi dalam ${wait(seconds)}.`,
  formExpired: 'Formulir ini sudah kedaluwarsa atau sudah dikirim. Silakan coba lagi.',

  consentTitle: 'Izinkan akses',
  consentHeading: (client) => `${client} ingin mengakses akun Anda`,
  consentIntro: 'Pilih apa saja yang boleh digunakan aplikasi ini.',
  clientLogo: (client) => `Logo ${client}`,
  clientWebsite: 'Situs web aplikasi',
  identityScopes: 'Informasi pribadi',
  apiScopes: 'Akses aplikasi',
  required: '(wajib)',
  rememberDecision: 'Ingat keputusan saya',
  allow: 'Izinkan',
  deny: 'Tolak',
  standardScopes: {
    openid: 'ID pengguna Anda',
    profile: 'Profil Anda: nama, foto, dan data dasar lainnya',
    email: 'Alamat email Anda',
    address: 'Alamat pos Anda',
    phone: 'Nomor telepon Anda',
    offline_access: 'Akses saat Anda sedang tidak masuk',
  },

  logoutTitle: 'Keluar',
  logoutQuestion: 'Apakah Anda ingin keluar?',
  logoutRequestedBy: (client) => `${client} meminta Anda untuk keluar.`,
  signOut: 'Keluar',

  signedOutTitle: 'Anda telah keluar',
  signedOutText: 'Sekarang Anda dapat menutup jendela ini.',
  returnTo: (client) => (client ? `Kembali ke ${client}` : 'Kembali ke aplikasi'),

  errorTitle: 'Terjadi kesalahan',
  errors: {
    invalid_request: 'Aplikasi mengirim permintaan yang tidak dapat diproses.',
    invalid_client: 'Aplikasi tidak dapat dikenali.',
    unauthorized_client: 'Aplikasi ini tidak diizinkan membuat permintaan ini.',
    invalid_scope: 'Aplikasi meminta akses yang tidak tersedia.',
    unsupported_response_type: 'Aplikasi meminta jenis respons yang tidak didukung layanan ini.',
    access_denied: 'Akses ditolak.',
    interaction_expired: 'Waktu untuk masuk sudah habis. Silakan kembali ke aplikasi dan coba lagi.',
    interaction_replayed: 'Proses masuk ini sudah selesai. Silakan kembali ke aplikasi dan mulai lagi.',
    server_error: 'Terjadi kesalahan di sistem kami. Silakan coba lagi nanti.',
    temporarily_unavailable: 'Layanan sedang tidak tersedia. Silakan coba lagi dalam beberapa menit.',
    not_found: 'Halaman ini tidak ada.',
    default: 'Permintaan tidak dapat diselesaikan.',
  },
  errorCode: 'Kode kesalahan',
  requestId: 'ID permintaan',

  formPostTitle: 'Melanjutkan',
  formPostText: 'Jika tidak terjadi apa-apa, pilih Lanjutkan.',
  continue: 'Lanjutkan',
};
