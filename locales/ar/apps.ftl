## flash.apps_admin

flash-apps_admin-saved = تم حفظ التطبيق.
flash-apps_admin-removed = تمت إزالة التطبيق.

## apps

apps-error_not_found = هذا التطبيق غير موجود.
apps-error_denied = لا يحق لك القيام بهذا الإجراء على التطبيقات.
apps-error_name = أعطِ التطبيق اسمًا من 1 إلى 80 حرفًا.
apps-error_protocol = اختر طريقة تسجيل الدخول إلى التطبيق: OpenID Connect، أو CAS، أو خلف البوابة.
apps-error_preset = قالب غير معروف.
apps-error_slug = لا يمكن أن يحتوي الاسم المختصر إلا على أحرف لاتينية صغيرة وأرقام وشرطات (40 حرفًا على الأكثر).
apps-error_slug_taken = هذا الاسم المختصر مستعمل بالفعل لتطبيق آخر.
apps-error_launch_url = يجب أن يكون عنوان التشغيل عنوانًا كاملًا يبدأ بـ http:// أو https://.
apps-error_logout_url = يجب أن يكون عنوان تسجيل الخروج عنوانًا كاملًا يبدأ بـ http:// أو https://.
apps-error_backchannel_url = يجب أن يكون عنوان تسجيل الخروج عبر القناة الخلفية عنوانًا كاملًا يبدأ بـ http:// أو https://.
apps-error_internal_url = يحتاج التطبيق الموجود خلف البوابة إلى عنوانه الداخلي الذي يبدأ بـ http:// أو https://.
apps-error_redirect_uri = يجب أن يكون كل URI لإعادة التوجيه عنوانًا كاملًا يبدأ بـ http:// أو https://، دون #.
apps-error_post_logout_uri = يجب أن يكون كل عنوان لما بعد تسجيل الخروج عنوانًا كاملًا يبدأ بـ http:// أو https://، دون #.
apps-error_service = يجب أن يكون كل عنوان خدمة CAS عنوانًا كاملًا يبدأ بـ http:// أو https://، دون #.
apps-error_no_redirect_uri = يحتاج تطبيق OpenID Connect إلى URI واحد على الأقل لإعادة التوجيه.
apps-error_no_service = يحتاج تطبيق CAS إلى عنوان خدمة واحد على الأقل.
apps-error_class = أحد الأقسام المختارة غير موجود.
apps-error_no_secret = تطبيقات OpenID Connect وحدها لها سرّ عميل.

## oidc

oidc-error_bad_request = طلب تسجيل الدخول هذا القادم من أحد التطبيقات غير سليم. ارجع إلى التطبيق وحاول مرة أخرى.
oidc-error_repeated = طلب تسجيل الدخول هذا القادم من أحد التطبيقات يكرر أحد المعاملات. أخبر المسؤول عن التطبيق.
oidc-error_unknown_client = هذا التطبيق غير مسجَّل في Cartable. أخبر مسؤول النظام في المدرسة.
oidc-error_redirect_uri = طلب هذا التطبيق توجيهك إلى عنوان غير مسجَّل له. أخبر مسؤول النظام في المدرسة.
oidc-error_app_disabled = هذا التطبيق معطَّل حاليًا. اسأل مسؤول النظام في المدرسة.
oidc-error_not_allowed = لا يحق لحسابك استخدام هذا التطبيق. إذا كنت ترى أن ذلك ينبغي أن يكون ممكنًا، فاسأل مسؤول النظام في المدرسة.
oidc-error_hint = يحمل طلب تسجيل الخروج هذا رمزًا لم يُصدره Cartable، أو يذكر تطبيقًا آخر.
oidc-error_post_logout_uri = طلب هذا التطبيق توجيهك بعد تسجيل الخروج إلى عنوان غير مسجَّل له. ما زلت مسجَّل الدخول.
oidc-logout_title = تسجيل الخروج
oidc-logout_question = يطلب أحد التطبيقات تسجيل خروجك من Cartable. هل تريد تسجيل الخروج الآن؟
oidc-logout_question_app = يطلب { $app } تسجيل خروجك من Cartable. هل تريد تسجيل الخروج الآن؟
oidc-logout_confirm = تسجيل الخروج
oidc-logout_cancel = البقاء متصلًا

## cas

cas-error_title = تعذّر تسجيل الدخول إلى هذا التطبيق
cas-error_service = لا يعرف Cartable التطبيق الذي أرسلك إلى هنا، لذا لن يرسل إليه بيانات دخولك. إذا كنت قد وصلت عبر رابط، فأخبر الإدارة أين وجدته.
cas-not_allowed = لا يحق لحسابك استخدام { $app }. إذا كنت ترى أن ذلك ينبغي أن يكون ممكنًا، فاسأل الإدارة.
cas-busy = عمليات تسجيل دخول كثيرة جدًا في هذه اللحظة. انتظر دقيقة ثم حاول مرة أخرى.
cas-back_home = العودة إلى البوابة
cas-logged_out_title = تم تسجيل خروجك
cas-logged_out = تم تسجيل خروجك من Cartable ومن التطبيقات التي سجّل دخولك إليها.
cas-lingering = تحتفظ هذه التطبيقات بجلساتها الخاصة: سجّل الخروج من كل واحد منها أيضًا، خاصةً على حاسوب مشترك.
cas-login_again = تسجيل الدخول من جديد

## apps_admin

apps_admin-title = التطبيقات
apps_admin-intro = التطبيقات التي يسجّل فيها المستخدمون الدخول بحساب Cartable الخاص بهم (OpenID Connect أو CAS)، أو التي تفتحها لهم البوابة. تعرض الصفحة الرئيسية لكل شخص التطبيقات التي يحق له استخدامها.
apps_admin-add = إضافة تطبيق
apps_admin-none = لا يوجد أي تطبيق بعد.
apps_admin-name = الاسم
apps_admin-slug = الاسم المختصر (معرّف العميل)
apps_admin-slug_hint = أحرف لاتينية صغيرة وأرقام وشرطات؛ يُنشأ من الاسم إذا تُرك فارغًا. ولا يتغير بعد ذلك أبدًا.
apps_admin-icon = الأيقونة (رمز تعبيري أو بضعة أحرف)
apps_admin-protocol = طريقة تسجيل الدخول
apps_admin-who = من يحق له استخدامه
apps_admin-nobody = لا أحد بعد
apps_admin-disabled_tag = معطَّل
apps_admin-preset = القالب
apps_admin-preset_generic = تطبيق آخر
apps_admin-base = عنوان التطبيق
apps_admin-fill = ملء القيم المعتادة
apps_admin-preset_hint = اختر التطبيق واكتب عنوانه، ثم املأ القيم: تُملأ العناوين المعتادة أدناه تلقائيًا لتتحقق منها.
apps_admin-launch_url = عنوان التشغيل (الصفحة التي تفتحها أيقونته)
apps_admin-redirect_uris = عناوين URI لإعادة التوجيه (OpenID Connect)، عنوان واحد في كل سطر
apps_admin-post_logout_uris = العناوين المسموح بها بعد تسجيل الخروج، عنوان واحد في كل سطر
apps_admin-cas_services = عناوين خدمة CAS (بادئات)، عنوان واحد في كل سطر
apps_admin-uris_hint = عناوين كاملة تبدأ بـ http:// أو https://. يجب أن تتطابق عناوين URI لإعادة التوجيه تطابقًا تامًا.
apps_admin-logout_url = عنوان تسجيل الخروج في التطبيق
apps_admin-backchannel_logout_url = عنوان تسجيل الخروج عبر القناة الخلفية (back-channel)
apps_admin-internal_url = العنوان الداخلي (للتطبيقات خلف البوابة فقط)
apps_admin-internal_hint = لتطبيق خلف البوابة: العنوان على شبكة المدرسة الذي تحوّل إليه البوابة الطلبات، مثل http://127.0.0.1:8080/.
apps_admin-roles = الأدوار التي يحق لها استخدامه
apps_admin-classes = هذه الأقسام فقط
apps_admin-classes_hint = إذا لم يُحدَّد أي قسم: كل الأقسام. وإذا حُدِّدت أقسام: تلاميذ هذه الأقسام وأساتذتها وأولياء أمور تلاميذها فقط.
apps_admin-claims = ما يعرفه التطبيق عن المستخدم
apps_admin-public = عميل عام: دون سرّ، ويُشترط PKCE (تطبيقات الهاتف، والتطبيقات ذات الصفحة الواحدة)
apps_admin-disabled = معطَّل: لا يحق لأحد استخدامه
apps_admin-new_title = تطبيق جديد
apps_admin-create = إضافة التطبيق
apps_admin-edit_title = الإعدادات
apps_admin-secret_title = سرّ العميل
apps_admin-secret_once = انسخه إلى التطبيق الآن: لا يُعرض إلا هذه المرة، ولا يمكن عرضه مرة أخرى.
apps_admin-secret_hidden = محفوظ بصيغة مُجزَّأة (hash)، ولن يُعرض مرة أخرى أبدًا
apps_admin-public_no_secret = لا يوجد (عميل عام)
apps_admin-secret_new = إنشاء سرّ عميل جديد
apps_admin-secret_hint = يتوقف السرّ القديم عن العمل فورًا: الصق السرّ الجديد في التطبيق دون تأخير.
apps_admin-ca_link = الوثوق بجهة التصديق (CA) الخاصة بالمدرسة
apps_admin-remove_title = الإزالة
apps_admin-remove_hint = لن يتمكن التطبيق بعد الآن من تسجيل دخول أي شخص عبر Cartable.
apps_admin-remove = إزالة التطبيق
apps_admin-error_base = اكتب العنوان الكامل للتطبيق (http:// أو https://) لملء قيم القالب.
apps_admin-my_apps = تطبيقاتي
apps_admin-proxy_down = هذا التطبيق لا يستجيب حاليًا. حاول مرة أخرى لاحقًا، أو أخبر مسؤول النظام في المدرسة.

## apps_admin.protocols

apps_admin-protocols-oidc = OpenID Connect
apps_admin-protocols-cas = CAS
apps_admin-protocols-proxy = خلف البوابة (دون تسجيل دخول خاص به)

## apps_admin.profiles

apps_admin-profiles-standard = قياسي (أسماء OpenID Connect، والأدوار، والمجموعات)
apps_admin-profiles-ent_fr = القياسي مع أسماء ENT الفرنسية (ENTPersonProfils، ENTClasse…)

## apps_admin.pastes

apps_admin-pastes-title = ما يجب إدخاله في التطبيق
apps_admin-pastes-issuer = جهة الإصدار (Issuer)
apps_admin-pastes-discovery_url = عنوان الاكتشاف
apps_admin-pastes-client_id = معرّف العميل
apps_admin-pastes-client_secret = سرّ العميل
apps_admin-pastes-cas_base_url = عنوان خادم CAS
apps_admin-pastes-address = عنوانه على البوابة
apps_admin-pastes-ca_certificate = جهة التصديق الخاصة بالمدرسة
