## import

import-title = استيراد قائمة قسم
import-intro = أرسل قائمة قسم محفوظة من جدول بيانات بصيغة CSV. سترى أولًا كل سطر: الحساب الذي سيُنشئه، وأي مشكلة فيه. لا يُكتب أي شيء قبل أن تؤكد، وعندها إما أن يُستورد كل شيء أو لا شيء.
import-file = ملف CSV
import-submit = التحقق من الملف
import-columns_title = الأعمدة
import-columns_intro = يحدد السطر الأول من الملف أسماء الأعمدة، بالفرنسية أو الإنجليزية، وبأي ترتيب؛ ولا فرق بين الأحرف الكبيرة والصغيرة، ولا أهمية للعلامات مثل é. الأعمدة التي تحمل أسماء أخرى (تاريخ الميلاد مثلًا) تُتجاهَل.
import-th_column = العمود
import-th_names = الأسماء المقبولة
import-th_content = المحتوى
import-required = إلزامي
import-optional = اختياري
import-doc_last_name = الاسم العائلي.
import-doc_first_name = الاسم الشخصي.
import-doc_class = القسم، مثل 6e A. إذا لم يكن القسم موجودًا في هذه السنة الدراسية، فإنه يُنشأ. يمكن للأستاذ أن يدرّس عدة أقسام: 6e A + 5e B. يُترك فارغًا لأولياء الأمور والموظفين.
import-doc_username = اسم الدخول: أحرف لاتينية صغيرة من a إلى z، وأرقام، ونقاط أو شرطات. إذا تُرك فارغًا، يُنشأ من الاسمين (الاسم الشخصي، ثم نقطة، ثم الاسم العائلي).
import-doc_role = تلميذ (القيمة الافتراضية إذا كان فارغًا)، أو أستاذ، أو وليّ أمر، أو الإدارة، أو مسؤول النظام؛ وتُقبل الأسماء الفرنسية والإنجليزية أيضًا (élève، pupil، teacher، parent…).
import-doc_language = fr أو en أو pt أو ar، أو اسم اللغة (العربية، Français، English، Português). إذا كان فارغًا: لغة المدرسة.
import-example_title = مثال
import-save_as = المحدِّدات: فاصلة منقوطة (;) أو فاصلة (,) أو جدولة (Tab). احفظ الملف بترميز UTF-8: في Excel، ملف، ثم حفظ باسم، ثم «CSV UTF-8 (محدد بفاصلة)»؛ وفي LibreOffice، «نص CSV» مع مجموعة المحارف «Unicode (UTF-8)».
import-limits =
    لكل ملف: { $max ->
        [zero] { $max } سطر
        [one] سطر واحد
        [two] سطران
        [few] { $max } أسطر
        [many] { $max } سطرًا
       *[other] { $max } سطر
    } و{ $limit } كيلوبايت على الأكثر.
import-no_password = الحسابات المستوردة ليست لها كلمات مرور بعد: اطبع بطاقات الدخول لكل قسم لتعطي كل شخص كلمة مروره الأولى.
import-col_last_name = الاسم العائلي
import-col_first_name = الاسم الشخصي
import-col_class = القسم
import-col_username = اسم المستخدم
import-col_role = الدور
import-col_language = اللغة
import-error_no_file = اختر ملف CSV لإرساله.
import-error_too_large = هذا الملف كبير جدًا: { $limit } كيلوبايت على الأكثر. قسّم القائمة على عدة ملفات.
import-error_too_many_rows =
    في هذا الملف أسطر كثيرة جدًا: { $max ->
        [zero] { $max } سطر
        [one] سطر واحد
        [two] سطران
        [few] { $max } أسطر
        [many] { $max } سطرًا
       *[other] { $max } سطر
    } على الأكثر. قسّم القائمة على عدة ملفات.
import-error_not_utf8 = هذا الملف ليس بترميز UTF-8 (تبدأ المشكلة في السطر { $line }). احفظه من جديد بصيغة «CSV UTF-8»: في Excel، ملف، ثم حفظ باسم، ثم «CSV UTF-8 (محدد بفاصلة)»؛ وفي LibreOffice، اختر مجموعة المحارف «Unicode (UTF-8)».
import-error_unreadable = تتعذر قراءة هذا الملف بصيغة CSV (السطر { $line }).
import-error_empty = هذا الملف فارغ.
import-error_no_rows = في هذا الملف سطر للعناوين، لكن لا يوجد فيه أي شخص.
import-error_missing_columns = يجب أن يحدد السطر الأول أسماء الأعمدة. الأعمدة الناقصة: { $missing }. يحتوي السطر الأول على: { $found }. مثال: nom;prénom;classe
import-error_duplicate_column = يظهر العمود «{ $column }» مرتين في السطر الأول.
import-error_gone = عملية الاستيراد هذه لم تعد في الانتظار: إما أنها أُنجزت، أو مضى عليها أكثر من يوم. أرسل الملف من جديد.
import-error_changed = تغيّر شيء ما منذ المعاينة (ربما أنشأ شخص آخر بعض هذه الحسابات). لم يُستورد أي شيء؛ وإليك المشكلات الحالية.
import-problem_field_count =
    يحتوي هذا السطر على { $found ->
        [zero] { $found } حقل
        [one] حقل واحد
        [two] حقلين
        [few] { $found } حقول
        [many] { $found } حقلًا
       *[other] { $found } حقل
    } بدلًا من { $expected }: هل يوجد فاصل داخل أحد الأسماء؟ ضع الاسم بين علامتي تنصيص (").
import-problem_unclosed_quote = علامة تنصيص غير مغلقة: هذا السطر يمتد إلى الأسطر التالية.
import-problem_last_name_missing = الاسم العائلي ناقص.
import-problem_first_name_missing = الاسم الشخصي ناقص.
import-problem_name_too_long = أحد الأسماء طويل جدًا (100 حرف على الأكثر).
import-problem_bad_role = دور غير معروف «{ $value }»: اكتب pupil أو teacher أو parent أو staff أو admin.
import-problem_role_not_allowed = لا يحق لك إنشاء حسابات بدور «{ $role }».
import-problem_bad_language = لغة غير معروفة «{ $value }»: اكتب fr أو en.
import-problem_username_invalid = اسم المستخدم «{ $value }» غير صالح: من 2 إلى 32 حرفًا، أحرف لاتينية صغيرة من a إلى z، وأرقام، ونقاط، وشرطات، أو شرطات سفلية.
import-problem_username_taken = اسم المستخدم «{ $value }» محجوز بالفعل لحساب موجود.
import-problem_username_duplicate = اسم المستخدم «{ $value }» مستعمل بالفعل في السطر { $line }.
import-problem_class_invalid = اسم القسم «{ $value }» غير صالح (40 حرفًا على الأكثر، ودون شرطة مائلة).
import-problem_class_not_for_role = لا ينتمي إلى قسم إلا التلاميذ والأساتذة، وليس «{ $role }»: اترك خانة القسم فارغة.
import-problem_already_in_class = يوجد بالفعل شخص بهذين الاسمين في القسم { $class } ({ $username }). لإضافة شخص يحمل الاسم نفسه، أعطه اسم مستخدم.
import-problem_duplicate_person = الشخص نفسه في القسم نفسه موجود بالفعل في السطر { $line }.
import-problem_already_exists = يوجد بالفعل حساب بهذين الاسمين وبهذا الدور ({ $username }). لإضافة شخص يحمل الاسم نفسه، أعطه اسم مستخدم.
import-preview_title = التحقق من الاستيراد
import-file_name = الملف
import-school_year = السنة الدراسية
import-th_line = السطر
import-th_last_name = الاسم العائلي
import-th_first_name = الاسم الشخصي
import-th_username = اسم المستخدم
import-th_class = القسم
import-th_role = الدور
import-th_language = اللغة
import-th_problems = المشكلات
import-suggested = مُنشأ من الاسمين
import-ignored_columns = أعمدة متجاهَلة: { $columns }
import-summary_ok =
    { $n ->
        [zero] لن يُنشأ أي حساب.
        [one] سيُنشأ حساب واحد.
        [two] سيُنشأ حسابان.
        [few] سيُنشأ { $n } حسابات.
        [many] سيُنشأ { $n } حسابًا.
       *[other] سيُنشأ { $n } حساب.
    } لا توجد مشكلة في أي سطر.
import-summary_problems = عدد الأسطر التي فيها مشكلة: { $bad } من أصل { $n }. لا يمكن استيراد أي شيء ما لم تصبح كل الأسطر صحيحة: صحّح الملف وأرسله من جديد.
import-new_classes = أقسام جديدة، تُنشأ للسنة الدراسية { $year }
import-existing_classes = أقسام موجودة من قبل
import-new_tag = جديد
import-import_button =
    استيراد { $n ->
        [zero] { $n } حساب
        [one] حساب واحد
        [two] حسابين
        [few] { $n } حسابات
        [many] { $n } حسابًا
       *[other] { $n } حساب
    }
import-another_file = إرسال ملف آخر
import-done_title = اكتمل الاستيراد
import-done_summary =
    { $n ->
        [zero] لم يُنشأ أي حساب.
        [one] تم إنشاء حساب واحد.
        [two] تم إنشاء حسابين.
        [few] تم إنشاء { $n } حسابات.
        [many] تم إنشاء { $n } حسابًا.
       *[other] تم إنشاء { $n } حساب.
    }
import-done_classes = الأقسام
import-done_slips = افتح كل قسم لطباعة بطاقات الدخول الخاصة به: فهي تعطي كل شخص كلمة مروره الأولى.
import-all_classes = كل الأقسام
import-again = استيراد قائمة أخرى
