## flash.mail

flash-mail-sent = أُرسلت الرسالة.
flash-mail-deleted = حُذفت الرسالة.

## flash.mail_admin

flash-mail_admin-retrying = يجري الآن إرسال الرسائل المنتظرة؛ أعد تحميل الصفحة بعد لحظات.
flash-mail_admin-deleted = حُذفت الرسالة من قائمة الانتظار.

## mail

mail-bounce_subject = لم تُسلَّم: { $subject }
mail-bounce_text = هذه رسالة من خادم البريد الخاص بالمدرسة. تعذّر تسليم رسالتك إلى { $recipient }، ولن تُعاد محاولة إرسالها. تجد أدناه السبب الذي ذكره الخادم الآخر، تليه ترويسات رسالتك.
mail-error_bad_address = هذا العنوان غير صالح.
mail-error_unknown = لا أحد في هذه المدرسة يملك هذا العنوان.
mail-error_list_not_allowed = لا يمكن الكتابة إلى قائمة قسم إلا لأساتذة هذا القسم وللإدارة.
mail-error_relay_denied = سجّل الدخول لإرسال بريد إلى خارج المدرسة.
mail-error_outside_not_allowed = لا يُسمح لحسابك بإرسال بريد إلى خارج المدرسة.
mail-error_no_relay = لا تستطيع هذه المدرسة بعدُ إرسال بريد إلى الخارج (لم يُضبط خادم ترحيل).
mail-title = البريد
mail-inbox = صندوق الوارد
mail-sent = المرسلة
mail-write = كتابة رسالة
mail-unread = غير مقروءة
mail-unread_count =
    { $n ->
        [zero] لا رسائل غير مقروءة
        [one] رسالة واحدة غير مقروءة
        [two] رسالتان غير مقروءتين
        [few] { $n } رسائل غير مقروءة
        [many] { $n } رسالة غير مقروءة
       *[other] { $n } رسالة غير مقروءة
    }
mail-has_attachments = مرفقات
mail-no_subject = (بلا موضوع)
mail-to_prefix = إلى:
mail-empty_inbox = لا توجد رسائل بعد.
mail-empty_sent = لم ترسل أي رسالة بعد.
mail-newer = → الأحدث
mail-older = الأقدم ←
mail-from = من
mail-to = إلى
mail-cc = نسخة إلى
mail-date = التاريخ
mail-attachments = المرفقات
mail-reply = رد
mail-delete = حذف
mail-back_inbox = العودة إلى صندوق الوارد
mail-back_sent = العودة إلى الرسائل المرسلة
mail-compose_title = رسالة جديدة
mail-recipient_n = المستلم { $n }
mail-to_hint = ابدأ بكتابة اسم أو عنوان، ثم اختره من الاقتراحات. مستلم واحد في كل خانة، أو عدة مستلمين في خانة واحدة تفصل بينهم فاصلة (,). تُتجاهل الخانات الفارغة.
mail-subject = الموضوع
mail-body = الرسالة
mail-attach_label = إرفاق ملفات (يمكنك اختيار عدة ملفات دفعة واحدة)
mail-attach_hint = لا يمكن أن يتجاوز حجم الرسالة كاملةً، بما فيها المرفقات، { $size }. يزداد حجم الملفات المرفقة بنحو الثلث عند الإرسال.
mail-send = إرسال
mail-quote_header = في { $date }، كتب { $name }:
mail-class_list = القسم { $class }: القسم كله (التلاميذ والأساتذة)
mail-error_no_recipients = أضف مستلمًا واحدًا على الأقل.
mail-error_too_big = هذه الرسالة كبيرة جدًا: الحد الأقصى { $size }، بما فيها المرفقات. لم يُرسَل شيء.
mail-error_too_many = عدد المستلمين كبير جدًا: الحد الأقصى { $count } في الرسالة الواحدة. اكتب إلى قائمة قسم، أو أرسل عدة رسائل.
mail-error_subject_long = الموضوع طويل جدًا (250 حرفًا على الأكثر).
mail-error_address = المستلم المعني: { $address }
mail-attach_again = لا تُحفظ المرفقات عندما تُرفض الرسالة: اختر الملفات من جديد قبل الإرسال.

## mail_settings

mail_settings-error_relay_host = يجب أن يكون خادم الترحيل اسم DNS أو عنوان IP.
mail_settings-error_relay_port = يجب أن يكون منفذ خادم الترحيل بين 1 و65535.
mail_settings-error_max_size = يجب أن يكون الحد الأقصى لحجم الرسالة بين 64 كيلوبايت و100 ميغابايت.
mail_settings-error_retry = يجب ألا تقل مهل إعادة المحاولة عن ثانية واحدة، وألا تكون المهلة الأولى أطول من أطول انتظار، وأن يأتي التوقف عن المحاولة بعد أول إعادة محاولة.

## mail_admin

mail_admin-title = البريد
mail_admin-queue = البريد المنتظر للخروج من المدرسة
mail_admin-queue_count =
    { $n ->
        [zero] لا توجد رسالة في انتظار خادم الترحيل.
        [one] رسالة واحدة في انتظار خادم الترحيل.
        [two] رسالتان في انتظار خادم الترحيل.
        [few] { $n } رسائل في انتظار خادم الترحيل.
        [many] { $n } رسالة في انتظار خادم الترحيل.
       *[other] { $n } رسالة في انتظار خادم الترحيل.
    }
mail_admin-queue_empty = لا يوجد بريد منتظر: كل ما أُرسل إلى خارج المدرسة قد خرج.
mail_admin-retry_all = إعادة محاولة الكل الآن
mail_admin-retry = إعادة المحاولة الآن
mail_admin-delete = حذف
mail_admin-queued_at = منذ
mail_admin-from_to = من ← إلى
mail_admin-subject = الموضوع
mail_admin-attempts = المحاولات
mail_admin-next = المحاولة التالية في { $when }
mail_admin-last_error = آخر رد
mail_admin-settings = قواعد البريد وخادم الترحيل
mail_admin-domain_hint = عنوان كل حساب هو name@{ $domain }، حيث name اسم المستخدم (يُضبط النطاق في صفحة الإعدادات)؛ وعنوان قائمة القسم هو classe+class@{ $domain }، حيث class اسم القسم.
mail_admin-class_lists = من يمكنه الكتابة إلى قائمة القسم
mail_admin-class_lists_teachers = أساتذته والإدارة
mail_admin-class_lists_members = أساتذته والإدارة وتلاميذه
mail_admin-pupils_outside = يمكن للتلاميذ إرسال بريد إلى خارج المدرسة
mail_admin-max_size = الحد الأقصى لحجم الرسالة (بالميغابايت)
mail_admin-relay = خادم الترحيل للبريد الخارجي
mail_admin-relay_hint = يخرج البريد الموجَّه إلى نطاقات أخرى عبر هذا الخادم (وهو عادةً خادم مزوّد الإنترنت). إذا تُرك فارغًا، فلا يمكن للبريد أن يخرج من المدرسة.
mail_admin-relay_host = خادم الترحيل
mail_admin-relay_port = المنفذ
mail_admin-relay_tls = الأمان
mail_admin-tls_starttls = STARTTLS (عادةً المنفذ 587)
mail_admin-tls_tls = TLS (عادةً المنفذ 465)
mail_admin-tls_none = بدون (فقط لخادم ترحيل على شبكة المدرسة نفسها)
mail_admin-relay_user = اسم المستخدم (إن طلبه خادم الترحيل)
mail_admin-relay_password = كلمة المرور
mail_admin-password_kept = دون تغيير
mail_admin-clear_password = حذف كلمة المرور المحفوظة
mail_admin-retries = عند انقطاع الاتصال
mail_admin-retry_first = أول إعادة محاولة بعد (بالدقائق)
mail_admin-retry_max = أطول انتظار بين محاولتين (بالدقائق)
mail_admin-give_up = التوقف عن المحاولة وإبلاغ المرسِل بعد (بالأيام)
mail_admin-error_number = أدخل أعدادًا صحيحة، واختر من القوائم.
