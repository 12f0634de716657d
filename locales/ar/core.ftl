## common

common-save = حفظ
common-cancel = إلغاء
# A size in bytes: $n is already written with the decimal mark below.
common-size = { $n } { $unit ->
        [kb] كيلوبايت
        [mb] ميغابايت
        [gb] غيغابايت
        [tb] تيرابايت
       *[b] بايت
    }
# Between the items of a list: "6e A, 5e B".
common-list_separator = {"، "}
common-decimal_mark = ,

## nav

nav-label = القائمة الرئيسية
nav-dashboard = الرئيسية
nav-admin = الإدارة
nav-logout = تسجيل الخروج
nav-languages = اللغات
nav-ca = الوثوق بشهادة هذا الخادم

## role

role-admin = مسؤول النظام
role-staff = الإدارة والحياة المدرسية
role-teacher = أستاذ
role-pupil = تلميذ
role-parent = وليّ أمر

## role_plural

role_plural-admin = مسؤولو النظام
role_plural-staff = موظفو الإدارة والحياة المدرسية
role_plural-teacher = الأساتذة
role_plural-pupil = التلاميذ
role_plural-parent = أولياء الأمور

## login

login-title = تسجيل الدخول
login-username = اسم المستخدم
login-password = كلمة المرور
login-submit = تسجيل الدخول
login-forgot = نسيت كلمة المرور؟ اطلب كلمة مرور جديدة من أستاذك أو من الإدارة.

## password

password-title = تغيير كلمة المرور
password-forced = مرحبًا! قبل أن تبدأ، اختر كلمة مرور خاصة بك بدلًا من الكلمة التي أُعطيت لك.
password-current = كلمة المرور الحالية
password-new = كلمة المرور الجديدة
password-confirm = أعد كتابة كلمة المرور الجديدة
password-rules = يجب أن تتكون من 8 أحرف على الأقل، وألّا تكون اسم المستخدم الخاص بك. من السهل تذكّر جملة قصيرة.
password-submit = تغيير كلمة المرور

## dashboard

dashboard-title = الرئيسية
dashboard-hello = مرحبًا، { $name }
dashboard-services = الخدمات
dashboard-profile = حسابي
dashboard-my_classes = قسمي
dashboard-teachers = الأساتذة
dashboard-teaching = الأقسام التي أدرّسها
dashboard-pupil_count =
    { $n ->
        [zero] لا تلاميذ
        [one] تلميذ واحد
        [two] تلميذان
        [few] { $n } تلاميذ
        [many] { $n } تلميذًا
       *[other] { $n } تلميذ
    }
dashboard-children = أبنائي
dashboard-school = المدرسة

## profile

profile-title = حسابي
profile-username = اسم المستخدم
profile-name = الاسم
profile-role = الدور
profile-change_password = تغيير كلمة المرور الخاصة بي
profile-language = اللغة
profile-language_default = لغة المدرسة

## ca

ca-title = الوثوق بهذا الخادم
ca-why = يستخدم خادم المدرسة شهادة أمان خاصة به. ثبّتها مرة واحدة على كل حاسوب أو هاتف، وسيتصل متصفحك بأمان ودون تحذيرات.
ca-download = تنزيل الشهادة
ca-windows = افتح الملف الذي نزّلته، واختر «تثبيت الشهادة»، ثم «الجهاز المحلي»، وضعها في «المراجع المصدقة الجذر الموثوق بها».
ca-macos = افتح الملف الذي نزّلته: سيضيفه تطبيق «الوصول إلى سلسلة المفاتيح». انقر عليه نقرًا مزدوجًا في سلسلة المفاتيح «النظام»، وافتح «الثقة» واختر «الوثوق دائمًا».
ca-linux = انسخ الملف إلى /usr/local/share/ca-certificates/cartable.crt ثم نفّذ الأمر «sudo update-ca-certificates». في Firefox: الإعدادات، ثم الشهادات، ثم استيراد.
ca-android = افتح الإعدادات، ثم الأمان، ثم التشفير وبيانات الاعتماد، ثم تثبيت شهادة، ثم شهادة CA، واختر الملف الذي نزّلته.
ca-ios = افتح الملف الذي نزّلته وثبّت ملف التعريف من الإعدادات. ثم انتقل إلى الإعدادات، ثم عام، ثم حول، ثم إعدادات الوثوق بالشهادات، وفعّل الوثوق الكامل بها.

## flash

flash-saved = تم الحفظ.
flash-password_changed = تم تغيير كلمة المرور الخاصة بك.

## error

error-title = هناك مشكلة ما
error-back_home = العودة إلى الصفحة الرئيسية
error-login_required = يُرجى تسجيل الدخول أولًا.
error-forbidden = لا يحق لك عرض هذه الصفحة أو القيام بهذا الإجراء.
error-not_found = هذه الصفحة غير موجودة.
error-method_not_allowed = هذا العنوان لا يقبل هذا النوع من الطلبات.
error-csrf = انتهت صلاحية هذا النموذج أو أنه لم يأتِ من هذا الموقع. ارجع إلى الصفحة السابقة، وأعد تحميلها، ثم حاول مرة أخرى.
error-too_large = ما أرسلته كبير جدًا (الحد الأقصى هو { $limit } كيلوبايت).
error-internal = حدث خطأ في الخادم، ولم يُغيَّر أي شيء. يُرجى المحاولة مرة أخرى؛ وإذا تكرر ذلك، فأخبر الإدارة.
error-bad_form = لم يُملأ النموذج بشكل صحيح. يُرجى التحقق منه والمحاولة مرة أخرى.
error-bad_query = هذا العنوان غير صالح.
error-login_invalid = اسم المستخدم غير معروف أو كلمة المرور خاطئة.
error-login_throttled =
    محاولات فاشلة كثيرة جدًا. يُرجى الانتظار { $minutes ->
        [zero] { $minutes } دقيقة
        [one] دقيقة واحدة
        [two] دقيقتين
        [few] { $minutes } دقائق
        [many] { $minutes } دقيقة
       *[other] { $minutes } دقيقة
    } ثم المحاولة مرة أخرى.
error-login_throttled_short = محاولات فاشلة كثيرة جدًا. يُرجى الانتظار بضع دقائق ثم المحاولة مرة أخرى.
error-password_current_wrong = كلمة المرور الحالية غير صحيحة.
error-password_mismatch = كلمتا المرور الجديدتان غير متطابقتين.
error-password_unchanged = يجب أن تكون كلمة المرور الجديدة مختلفة عن الحالية.
error-password_too_short = يجب أن تتكون كلمة المرور من 8 أحرف على الأقل.
error-password_too_long = كلمة المرور طويلة جدًا (200 حرف على الأكثر).
error-password_contains_username = يجب ألّا تحتوي كلمة المرور على اسم المستخدم الخاص بك.
error-username_taken = اسم المستخدم هذا محجوز بالفعل.
error-username_invalid = يتكون اسم المستخدم من 2 إلى 32 حرفًا: أحرف لاتينية صغيرة من a إلى z، وأرقام، ونقاط، وشرطات، أو شرطات سفلية.
error-name_missing = الاسم مطلوب.
error-name_too_long = هذا الاسم طويل جدًا.
error-class_exists = يوجد بالفعل قسم بهذا الاسم في هذه السنة الدراسية.
error-wrong_role = ليس لهذا الحساب الدور المناسب للقيام بذلك.

## clock

clock-unsynced = ساعة النظام غير مُزامَنة: قد يفشل تسجيل الدخول إلى التطبيقات الأخرى إذا كان الوقت خاطئًا. تحقّق من ضبط الوقت عبر الشبكة (NTP) في جهاز الخادم.
clock-unknown = لا يُعرف ما إذا كانت ساعة النظام مُزامَنة.
clock-synced = مُزامَنة
clock-behind = ساعة النظام متأخرة عن آخر حدث مُسجَّل: الوقت خاطئ، وسيفشل تسجيل الدخول إلى التطبيقات الأخرى إلى أن تُضبط الساعة.
clock-label = الساعة
